"""The thread page: one thread with everything hanging off it (replies, replications, commitments, impact,
appreciation, the featured note). It composes the features' services; none of them imports it."""
