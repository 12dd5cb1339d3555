#include "storage/writer_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "storage/database.hpp"

namespace staffroom::storage {

WriterLock::WriterLock(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw StorageError("cannot open database '" + path + "' to lock it: " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      throw StorageError("database '" + path +
                         "' is in use by another staffroom server (one server per data "
                         "directory); stop it first");
    }
    throw StorageError("cannot lock database '" + path + "': " + std::strerror(error));
  }
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace staffroom::storage
