// Shared references for the controllers: the store, the socket and the views (filled in by app.js).

/** One object the controllers share instead of module-level globals scattered across files. */
export const ctx = {
  store: null,
  socket: null,
  sidebar: null,
  channelView: null,
  threadView: null,
  sidePanel: null,
};

export const $ = (id) => document.getElementById(id);

/** True when the page is laid out for a phone (one column, thread below). */
export const NARROW = window.matchMedia('(max-width: 700px)');
