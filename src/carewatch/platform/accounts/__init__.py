"""Users (e-mail login), families, clinics, and the one place permissions are decided."""
