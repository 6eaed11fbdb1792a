"""Offline transcription of voicemails with Vosk: models, audio, download, recognition, urgency.

Import the submodules directly; none of them loads vosk at import time (only Transcriber.load).
"""
