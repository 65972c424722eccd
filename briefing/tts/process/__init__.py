"""Speech workers: fresh child processes spoken to over a pickled-frame channel."""
