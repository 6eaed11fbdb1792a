"""Files the service keeps under its data dir: recordings and recorded prompts."""
