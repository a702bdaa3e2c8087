"""Stories: syndicated-copy detection and online, multilingual clustering of coverage into stories."""
