"""The municipality's ZGW case system as the portal uses it: residents' cases read from it,
submissions registered in it, and its notifications turned into e-mails."""
