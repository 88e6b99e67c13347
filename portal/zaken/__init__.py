"""Cases (zaken): what a submission becomes, modelled on the ZGW Zaken API."""
