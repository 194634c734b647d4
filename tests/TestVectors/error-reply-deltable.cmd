delete table inet nosuchtable
