list table inet aurorasoc
