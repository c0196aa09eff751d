package translation

// HoldImports takes the import lock, as a running import holds it, and
// returns its release.
func HoldImports(m *Module) (release func()) {
	m.importing.Lock()
	return m.importing.Unlock
}
