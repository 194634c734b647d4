add rule inet nosuchtable input accept
