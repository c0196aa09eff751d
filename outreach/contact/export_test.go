package contact

// WatchRetention has f told of every pass of m's retention job; set it
// before Mount.
func WatchRetention(m *Module, f func(deleted int, err error)) { m.afterRetention = f }

// StopRetention ends m's retention job and waits for it.
func StopRetention(m *Module) {
	if m.stopRetention != nil {
		m.stopRetention()
		<-m.retentionDone
	}
}
