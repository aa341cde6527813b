"""S-7: the bureau's cross-township overview on the 工作台."""
