"""A voicemail from Twilio's recording callback to a transcript: the pipeline and its upkeep."""
