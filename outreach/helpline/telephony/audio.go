package telephony

import (
	"bytes"
	"encoding/binary"
)

// MaxRecordingBytes bounds an uploaded recording: a menu prompt is a few
// seconds, and the provider fetches it while the caller waits.
const MaxRecordingBytes = 2 << 20

// SniffAudio returns the content type of a recording from its structure:
// WAV (a RIFF/WAVE file with a plausible format chunk and sound in its
// data chunk), MP3 (after any ID3 tag, two MPEG audio frames in a row),
// or Ogg whose first packet opens an Opus or Vorbis stream; ok is false
// for anything else, whatever its name says. It reads headers, not the
// sound: a file with real headers and noise passes, a file that is only
// the first bytes of one does not (a caller would hear silence or the
// provider would fail mid-call).
func SniffAudio(b []byte) (contentType string, ok bool) {
	switch {
	case isWAV(b):
		return "audio/wav", true
	case isMP3(b):
		return "audio/mpeg", true
	case isOgg(b):
		return "audio/ogg", true
	}
	return "", false
}

// isWAV walks the RIFF chunks: a "fmt " chunk with a PCM-like format, one
// to eight channels, a telephone-to-studio sample rate and a sample size,
// then a "data" chunk with at least one whole sample present.
func isWAV(b []byte) bool {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return false
	}
	var haveFmt bool
	var blockAlign uint16
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:p+8]))
		body := p + 8
		if size < 0 || size > len(b) {
			return false
		}
		switch id {
		case "fmt ":
			if size < 16 || body+16 > len(b) {
				return false
			}
			format := binary.LittleEndian.Uint16(b[body:])
			channels := binary.LittleEndian.Uint16(b[body+2:])
			rate := binary.LittleEndian.Uint32(b[body+4:])
			blockAlign = binary.LittleEndian.Uint16(b[body+12:])
			bits := binary.LittleEndian.Uint16(b[body+14:])
			switch format {
			case 1, 3, 6, 7, 0xFFFE: // PCM, float, A-law, µ-law, extensible
			default:
				return false
			}
			if channels < 1 || channels > 8 || rate < 8000 || rate > 192000 || bits < 8 || bits > 32 || blockAlign == 0 {
				return false
			}
			haveFmt = true
		case "data":
			return haveFmt && size >= int(blockAlign) && body+int(blockAlign) <= len(b)
		}
		p = body + size + size&1 // chunks are padded to an even length
	}
	return false
}

// isMP3 skips an ID3v2 tag and wants two MPEG audio frames, the second
// where the first one's length says.
func isMP3(b []byte) bool {
	p := 0
	if len(b) >= 10 && string(b[:3]) == "ID3" {
		// The tag's size: four 7-bit bytes.
		for _, c := range b[6:10] {
			if c&0x80 != 0 {
				return false
			}
		}
		p = 10 + (int(b[6])<<21 | int(b[7])<<14 | int(b[8])<<7 | int(b[9]))
		if b[5]&0x10 != 0 {
			p += 10 // a footer
		}
	}
	n := mpegFrameLen(b, p)
	if n == 0 {
		return false
	}
	return mpegFrameLen(b, p+n) > 0
}

// Bitrates in kbit/s of MPEG-1 Layer I, II, III and MPEG-2/2.5 Layer I,
// II/III, by the header's index (0 "free" and 15 "bad" are refused).
var mpegBitrates = [5][16]int{
	{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 0},
	{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0},
	{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
	{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0},
	{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
}

// mpegFrameLen is the length of the MPEG audio frame whose header starts
// at b[p:], or 0 when there is none there.
func mpegFrameLen(b []byte, p int) int {
	if p < 0 || p+4 > len(b) || b[p] != 0xFF || b[p+1]&0xE0 != 0xE0 {
		return 0
	}
	version, layer := (b[p+1]>>3)&3, (b[p+1]>>1)&3 // version 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5; layer 3 = I
	bi, ri, pad := int(b[p+2]>>4), int((b[p+2]>>2)&3), int((b[p+2]>>1)&1)
	if version == 1 || layer == 0 || ri == 3 {
		return 0
	}
	rate := [3]int{44100, 48000, 32000}[ri]
	switch version {
	case 2:
		rate /= 2
	case 0:
		rate /= 4
	}
	var table int
	switch {
	case version == 3 && layer == 3:
		table = 0
	case version == 3 && layer == 2:
		table = 1
	case version == 3:
		table = 2
	case layer == 3:
		table = 3
	default:
		table = 4
	}
	kbps := mpegBitrates[table][bi]
	if kbps == 0 {
		return 0
	}
	var n int
	switch {
	case layer == 3: // Layer I: slots of four bytes
		n = (12*kbps*1000/rate + pad) * 4
	case layer == 1 && version != 3: // Layer III of MPEG-2/2.5: 576 samples
		n = 72*kbps*1000/rate + pad
	default:
		n = 144*kbps*1000/rate + pad
	}
	if p+n > len(b) {
		return 0
	}
	return n
}

// isOgg reads the first Ogg page: capture pattern, version 0, the first
// page of a stream, and a first packet that is an Opus or Vorbis
// identification header.
func isOgg(b []byte) bool {
	if len(b) < 27 || string(b[:4]) != "OggS" || b[4] != 0 || b[5]&0x02 == 0 {
		return false
	}
	segments := int(b[26])
	body := 27 + segments
	if segments == 0 || body > len(b) {
		return false
	}
	packet := b[body:]
	return bytes.HasPrefix(packet, []byte("OpusHead")) || bytes.HasPrefix(packet, []byte("\x01vorbis"))
}
