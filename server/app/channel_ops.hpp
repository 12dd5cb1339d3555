// WebSocket handlers for channel.* and user.search.
#pragma once

#include "app/op_support.hpp"

namespace staffroom::app::ops {

void channel_create(OpContext& ctx, Call call);
void channel_list(OpContext& ctx, Call call);
void channel_join(OpContext& ctx, Call call);
void channel_leave(OpContext& ctx, Call call);
void channel_read(OpContext& ctx, Call call);
void channel_update(OpContext& ctx, Call call);
void channel_archive(OpContext& ctx, Call call);
void channel_members(OpContext& ctx, Call call);
void channel_invite(OpContext& ctx, Call call);
void channel_remove(OpContext& ctx, Call call);
void channel_set_role(OpContext& ctx, Call call);
void user_search(OpContext& ctx, Call call);

}  // namespace staffroom::app::ops
