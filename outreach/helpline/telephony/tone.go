package telephony

import (
	"bytes"
	"encoding/binary"
	"math"
	"time"
)

// ToneWAV is a placeholder recording: a sine tone of freq Hz for d, as
// 8 kHz 16-bit mono PCM in a WAV file (what both providers play). The
// demo uses one pitch per language where no speech tool can say it.
func ToneWAV(freq float64, d time.Duration) []byte {
	const rate = 8000
	n := int(d.Seconds() * rate)
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) } // writes to a buffer never fail
	b.WriteString("RIFF")
	le(uint32(36 + 2*n))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1)) // PCM
	le(uint16(1)) // mono
	le(uint32(rate))
	le(uint32(rate * 2))
	le(uint16(2))
	le(uint16(16))
	b.WriteString("data")
	le(uint32(2 * n))
	for i := range n {
		// A short fade in and out keeps the tone from clicking.
		env := math.Min(1, math.Min(float64(i), float64(n-i))/400)
		le(int16(0.3 * env * math.MaxInt16 * math.Sin(2*math.Pi*freq*float64(i)/rate)))
	}
	return b.Bytes()
}
