// WebSocket handler for session.resume (catch-up after a reconnect).
#pragma once

#include "app/op_support.hpp"

namespace staffroom::app::ops {

void session_resume(OpContext& ctx, Call call);

}  // namespace staffroom::app::ops
