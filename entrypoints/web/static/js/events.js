// The user's live events over the WebSocket /api/v1/events (the session cookie authenticates it).
// A closed socket is opened again after a pause that doubles each time (1 s up to 30 s, with
// jitter) and starts over at 1 s once a connection holds; the server sends the state of pending
// documents first on every (re)connection, so nothing missed while away stays missed.

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
const CLOSE_UNAUTHORIZED = 4401; // the session ended: reconnecting cannot help

export function connectEvents({ url, onEvent, onState }) {
  let delay = FIRST_DELAY_MS;
  let socket = null;
  let stopped = false;
  let timer = null;

  function address() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${window.location.host}${url}`;
  }

  function open() {
    socket = new WebSocket(address());
    socket.addEventListener("open", () => {
      delay = FIRST_DELAY_MS;
      onState(true);
    });
    socket.addEventListener("message", (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      if (event && typeof event.type === "string") {
        onEvent(event);
      }
    });
    socket.addEventListener("close", (closed) => {
      onState(false);
      if (stopped || closed.code === CLOSE_UNAUTHORIZED) {
        return;
      }
      const wait = delay * (0.75 + Math.random() * 0.5);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
      timer = window.setTimeout(open, wait);
    });
  }

  open();
  return {
    close() {
      stopped = true;
      window.clearTimeout(timer);
      if (socket) {
        socket.close();
      }
    },
  };
}
