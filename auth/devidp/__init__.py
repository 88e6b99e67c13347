"""The development identity provider: a real OpenID provider for DigiD, eHerkenning and staff logins
in development and tests. It refuses to run in production."""
