package contact

import (
	"context"
	"fmt"
	"os"
)

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

// Occupy takes one of im's places to read a file, for group orgID, as an
// upload or an import would; call the result to give it back.
func Occupy(im *Importer, orgID int64) func() {
	release, err := im.acquire(orgID)
	if err != nil {
		panic(err)
	}
	return release
}

// EarlierLife is the owner of an import that this process ran before it
// was restarted: the same host and process id, another start.
func EarlierLife() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/1", host, os.Getpid())
}

// EncryptOldHeaders runs what Mount does for imports uploaded before
// headers were encrypted.
func EncryptOldHeaders(im *Importer, ctx context.Context) error { return im.encryptOldHeaders(ctx) }
