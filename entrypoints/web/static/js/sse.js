// Server-Sent Events read from a fetch() response body. EventSource cannot POST (a question is
// a POST with a JSON body and the CSRF header), so the Ask page reads the stream itself: bytes
// are decoded as UTF-8 across chunk boundaries, events are split on blank lines (LF or CRLF),
// and each event's `data:` lines are joined with "\n" as the SSE specification says.

/** Yields {event, data} for every event of the stream; `data` is the parsed JSON (or the raw
 * string when it is not JSON). The caller decides what each event name means. */
export async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let held = ""; // a chunk ending in CR: the LF of its CRLF may open the next chunk
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      let text = held + value;
      held = text.endsWith("\r") ? "\r" : "";
      if (held) text = text.slice(0, -1);
      buffer += text.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const parsed = parseBlock(block);
        if (parsed) yield parsed;
      }
    }
    const last = parseBlock(buffer + (held ? "\n" : "")); // a stream may end without the final blank line
    if (last) yield last;
  } finally {
    reader.cancel().catch(() => {}); // a consumer that stops early closes the connection
  }
}

/** One event's lines -> {event, data}, or null for a comment-only or empty block. */
export function parseBlock(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (!data.length) return null;
  const text = data.join("\n");
  try {
    return { event, data: JSON.parse(text) };
  } catch {
    return { event, data: text };
  }
}
