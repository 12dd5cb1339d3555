// WebSocket handlers for post.*, thread.get, mention.list and search.
#pragma once

#include "app/op_support.hpp"

namespace staffroom::app::ops {

void post_create(OpContext& ctx, Call call);
void post_history(OpContext& ctx, Call call);
void thread_get(OpContext& ctx, Call call);
void post_edit(OpContext& ctx, Call call);
void post_versions(OpContext& ctx, Call call);
void post_delete(OpContext& ctx, Call call);
void post_react(OpContext& ctx, Call call);
void mention_list(OpContext& ctx, Call call);
void search(OpContext& ctx, Call call);

}  // namespace staffroom::app::ops
