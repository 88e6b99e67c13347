"""Login with DigiD, eHerkenning and the staff provider over OpenID Connect; server sessions."""
