"""案卷评查 (SPEC O-3): review batches of enforcement case files — the list, the sample, the score sheets."""
