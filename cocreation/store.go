package cocreation

import "megafon/cocreation/process"

// Store keeps processes and participants (process.Store), and workshops
// with their prompts, notes and themes.
type Store struct {
	*process.Store
}
