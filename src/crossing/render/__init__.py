"""Everything that turns the model and play state into Rich renderables (the only Rich code)."""
