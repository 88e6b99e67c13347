"""Personal data: what the BRP and KVK know about the logged-in resident or company."""
