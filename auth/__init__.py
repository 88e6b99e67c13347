"""Login with DigiD, eHerkenning and the staff provider over OpenID Connect, and server-side sessions."""
