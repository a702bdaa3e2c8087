"""Re-training the shipped category models (`python -m newsdesk.training.train_categories`, `.train_e5`)."""
