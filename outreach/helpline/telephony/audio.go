package telephony

import "bytes"

// MaxRecordingBytes bounds an uploaded recording: a menu prompt is a few
// seconds, and the provider fetches it while the caller waits.
const MaxRecordingBytes = 2 << 20

// SniffAudio returns the content type of a recording from its first
// bytes: WAV (RIFF/WAVE), MP3 (an ID3 tag or an MPEG audio frame sync),
// or Ogg carrying Opus or Vorbis; ok is false for anything else, whatever
// its name says.
func SniffAudio(b []byte) (contentType string, ok bool) {
	switch {
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WAVE":
		return "audio/wav", true
	case len(b) >= 10 && string(b[:3]) == "ID3":
		return "audio/mpeg", true
	case len(b) >= 4 && isMPEGFrame(b):
		return "audio/mpeg", true
	case len(b) >= 28 && string(b[:4]) == "OggS":
		page := b[:min(len(b), 512)]
		if bytes.Contains(page, []byte("OpusHead")) || bytes.Contains(page, []byte("\x01vorbis")) {
			return "audio/ogg", true
		}
	}
	return "", false
}

// isMPEGFrame checks an MPEG audio frame header: 11 bits of sync, a
// version and layer that exist, a bitrate that is not "bad" and a sample
// rate that is not reserved.
func isMPEGFrame(b []byte) bool {
	if b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return false
	}
	version, layer := (b[1]>>3)&3, (b[1]>>1)&3
	bitrate, rate := b[2]>>4, (b[2]>>2)&3
	return version != 1 && layer != 0 && bitrate != 15 && rate != 3
}
