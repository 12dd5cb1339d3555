#include "app/post_ops.hpp"

#include "app/post_json_memo.hpp"
#include "app/views.hpp"

namespace staffroom::app::ops {
namespace {

domain::Done<domain::Post> answer_post(OpContext& ctx, const Call& call) {
  return answer<domain::Post>(call, ctx.metrics, [](std::int64_t id, const domain::Post& post) {
    return protocol::encode_post_reply(id, PostJsonMemo::of(post));
  });
}

}  // namespace

void post_create(OpContext& ctx, Call call) {
  auto& r = std::get<protocol::PostCreate>(call.request.body);
  // Render here, on the connection's thread, so the home lane never waits on Markdown.
  auto rendered = render_body(ctx, r.body);
  domain::PostInput input{r.channel_id, std::move(r.body),      std::move(rendered.html),
                          r.thread_id,  std::move(r.client_id), std::move(rendered.mentions)};
  at_home(ctx, std::move(call), [&ctx, input = std::move(input)](auto user, Call& c) mutable {
    ctx.core.posts.create(
        user, std::move(input),
        answer<domain::PostCreated>(c, ctx.metrics,
                                    [](std::int64_t id, const domain::PostCreated& created) {
                                      return protocol::encode_post_reply(
                                          id, PostJsonMemo::of(created.post), created.duplicate);
                                    }));
  });
}

void post_history(OpContext& ctx, Call call) {
  const auto r = std::get<protocol::PostHistory>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r](auto user, Call& c) {
    ctx.core.posts.history(
        user, r.channel_id, r.after_seq, r.before_seq, r.limit,
        answer<domain::HistoryPage>(
            c, ctx.metrics, [](std::int64_t id, const domain::HistoryPage& page) {
              return protocol::encode_history_reply(id, post_views(page.posts), page.has_more);
            }));
  });
}

void thread_get(OpContext& ctx, Call call) {
  const auto post = std::get<protocol::ThreadGet>(call.request.body).post_id;
  at_home(ctx, std::move(call), [&ctx, post](auto user, Call& c) {
    ctx.core.posts.thread(
        user, post,
        answer<domain::Thread>(c, ctx.metrics, [](std::int64_t id, const domain::Thread& thread) {
          return protocol::encode_thread_reply(id, post_view(thread.root),
                                               post_views(thread.replies));
        }));
  });
}

void post_edit(OpContext& ctx, Call call) {
  auto& r = std::get<protocol::PostEdit>(call.request.body);
  auto rendered = render_body(ctx, r.body);
  at_home(ctx, std::move(call),
          [&ctx, post = r.post_id, body = std::move(r.body), html = std::move(rendered.html)](
              auto user, Call& c) mutable {
            ctx.core.posts.edit(user, post, std::move(body), std::move(html), answer_post(ctx, c));
          });
}

void post_versions(OpContext& ctx, Call call) {
  const auto post = std::get<protocol::PostVersions>(call.request.body).post_id;
  at_home(ctx, std::move(call), [&ctx, post](auto user, Call& c) {
    ctx.core.posts.versions(
        user, post,
        answer<std::vector<domain::PostVersion>>(
            c, ctx.metrics, [](std::int64_t id, const std::vector<domain::PostVersion>& versions) {
              std::vector<protocol::VersionView> views;
              for (const auto& v : versions) views.push_back({v.body, v.html, v.written_at});
              return protocol::encode_versions_reply(id, views);
            }));
  });
}

void post_delete(OpContext& ctx, Call call) {
  const auto post = std::get<protocol::PostDelete>(call.request.body).post_id;
  at_home(ctx, std::move(call), [&ctx, post](auto user, Call& c) {
    ctx.core.posts.remove(user, post, answer_post(ctx, c));
  });
}

void post_react(OpContext& ctx, Call call) {
  auto r = std::get<protocol::PostReact>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r = std::move(r)](auto user, Call& c) mutable {
    ctx.core.posts.react(user, r.post_id, std::move(r.emoji), r.on, answer_post(ctx, c));
  });
}

void mention_list(OpContext& ctx, Call call) {
  const auto r = std::get<protocol::MentionList>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r](auto user, Call& c) {
    ctx.core.posts.mentions(
        user, r.before_id, r.limit,
        answer<domain::MentionPage>(
            c, ctx.metrics, [](std::int64_t id, const domain::MentionPage& page) {
              std::vector<protocol::MentionView> views;
              for (const auto& m : page.mentions) {
                views.push_back({m.id, m.post.channel_id, post_view(m.post), m.created_at});
              }
              return protocol::encode_mentions_reply(id, views, page.has_more);
            }));
  });
}

void search(OpContext& ctx, Call call) {
  auto r = std::get<protocol::Search>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r = std::move(r)](auto user, Call& c) {
    ctx.core.posts.search(
        user, r.q, r.channel_id, r.limit,
        answer<std::vector<domain::SearchHit>>(
            c, ctx.metrics, [](std::int64_t id, const std::vector<domain::SearchHit>& hits) {
              std::vector<protocol::SearchHitView> views;
              for (const auto& h : hits) views.push_back({post_view(h.post), h.snippet});
              return protocol::encode_search_reply(id, views);
            }));
  });
}

}  // namespace staffroom::app::ops
