"""Staff: the employees catalog."""
