"""Test speech: espeak-ng says a sentence (WAV), PyAV encodes it as a Telegram-style OGG/Opus note."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import av

from adapters.speech.decode import RATE, decode_pcm16
from tests.binaries import require_binary


def spoken_wav(text: str, folder: Path) -> bytes:
    """``text`` spoken by espeak-ng (skips, or fails under CI=true, without it)."""
    espeak = require_binary("espeak-ng", "espeak-ng")
    path = folder / "speech.wav"
    subprocess.run([espeak, "-s", "120", "-w", str(path), text], check=True, capture_output=True)
    return path.read_bytes()


def ogg_opus(wav: bytes) -> bytes:
    """The same audio as an OGG/Opus voice note (PyAV's bundled libopus encodes it)."""
    pcm = decode_pcm16(wav)
    out = io.BytesIO()
    with av.open(out, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=48000, layout="mono")
        frame = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
        frame.planes[0].update(pcm)
        frame.sample_rate = RATE
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        for resampled in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(resampled):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()
