"""The one gateway to Twilio's REST API: recordings, call logs, outgoing calls."""
