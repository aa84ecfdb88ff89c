"""Signal receivers: lower apps announce events, notifications turns them into messages."""
