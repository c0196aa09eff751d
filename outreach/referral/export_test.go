package referral

// StopRetention ends the module's retention job and waits for it.
func StopRetention(m *Module) {
	if m.stopRetention != nil {
		m.stopRetention()
		<-m.retentionDone
	}
}
