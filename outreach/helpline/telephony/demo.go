package telephony

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"megafon/outreach/operation"
	"megafon/platform/demo"
	"megafon/platform/web"
)

// DemoTwilioAccount is the demo line's (made-up) Twilio account: the
// demo plays Twilio with the simulator, which signs its requests with
// the line's token as Twilio would. (A 46elks line's secret address is
// kept only as a hash, so the simulator could not find it again.)
const DemoTwilioAccount = "AC00000000000000000000000000000de0"

// demoPitch is each demo language's placeholder tone, in Hz: no speech
// tool on the demo machine speaks Somali, Tigrinya or Dari, so every demo
// recording is a tone, one pitch per language.
var demoPitch = map[string]float64{"sv": 392, "ar": 440, "so": 494, "ti": 523, "prs": 587, "bs": 659, "en": 698, "uk": 784}

// SeedDemo connects the demo operation's help line to the simulated
// Twilio and uploads placeholder recordings in each of its languages. It
// seeds nothing when the demo has no help line.
func (m *Module) SeedDemo(ctx context.Context, app *web.App, city *demo.City) error {
	var lineID int64
	err := app.DB.QueryRow(ctx, `SELECT h.id FROM helplines h JOIN operations o ON o.id = h.operation_id
		WHERE o.name = $1 ORDER BY h.id LIMIT 1`, operation.DemoName).Scan(&lineID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo telephony: %w", err)
	}
	rows, err := app.DB.Query(ctx, `SELECT lang FROM helpline_languages WHERE helpline_id = $1 ORDER BY menu_key`, lineID)
	if err != nil {
		return fmt.Errorf("demo telephony: %w", err)
	}
	var langs []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			rows.Close()
			return err
		}
		langs = append(langs, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var coordID int64
	if coord := city.People["samordnare@demo.megafon.se"]; coord != nil {
		coordID = coord.ID
	}
	token := make([]byte, 16)
	rand.Read(token) // never fails (crypto/rand)
	if _, err := m.store.Connect(ctx, coordID, lineID, Connection{Provider: "twilio", Account: DemoTwilioAccount, Token: hex.EncodeToString(token)}); err != nil {
		return fmt.Errorf("demo telephony: %w", err)
	}
	for i, lang := range langs {
		pitch, ok := demoPitch[lang]
		if !ok {
			pitch = 350 + float64(i)*40
		}
		for j, kind := range Kinds {
			if kind == Welcome && i > 0 {
				continue // one welcome, in the line's first language
			}
			// Each kind a little longer, so that the player shows them apart.
			audio := ToneWAV(pitch, time.Duration(600+200*j)*time.Millisecond)
			if _, err := m.store.SaveRecording(ctx, coordID, lineID, langs, lang, kind, audio); err != nil {
				return fmt.Errorf("demo recording %s %s: %w", lang, kind, err)
			}
		}
	}
	return nil
}
