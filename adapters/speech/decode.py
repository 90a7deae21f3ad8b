"""Any container PyAV (FFmpeg) decodes -> 16 kHz mono signed 16-bit PCM, and back to WAV parts."""

from __future__ import annotations

import io
import wave

from domain.errors import FileCorrupt

RATE = 16_000
BYTES_PER_SECOND = RATE * 2


def decode_pcm16(data: bytes) -> bytes:
    """The first audio stream resampled to 16 kHz mono s16le; FileCorrupt when it cannot be decoded."""
    import av  # about 40 ms (FFmpeg): loaded with the first audio file, not at every start-up

    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    out = bytearray()
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise FileCorrupt("The file holds no audio stream.")
            for frame in container.decode(audio=0):
                for resampled in resampler.resample(frame):
                    out += bytes(resampled.planes[0])[: resampled.samples * 2]
        for resampled in resampler.resample(None):  # flush
            out += bytes(resampled.planes[0])[: resampled.samples * 2]
    except av.FFmpegError as error:
        raise FileCorrupt("The audio cannot be decoded (damaged or unsupported codec).") from error
    return bytes(out)


def wav_bytes(pcm: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(pcm)
    return buffer.getvalue()


def split_pcm(pcm: bytes, seconds: float) -> list[tuple[float, bytes]]:
    """Consecutive parts of at most ``seconds`` each, with their start time."""
    size = max(2, int(seconds * BYTES_PER_SECOND) // 2 * 2)
    return [(start / BYTES_PER_SECOND, pcm[start : start + size]) for start in range(0, len(pcm), size)]
