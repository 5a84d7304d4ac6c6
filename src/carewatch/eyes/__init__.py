"""Eyes: the diabetic-retinopathy screening service (it wraps the standalone `retina` engine)."""
