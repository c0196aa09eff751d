package telephony

import (
	"bytes"
	"testing"
	"time"
)

func TestSniffAudioWantsTheHeadersOfARealFile(t *testing.T) {
	wav := ToneWAV(440, 50*time.Millisecond)
	// An MPEG-1 Layer III frame at 128 kbit/s and 44.1 kHz is 417 bytes.
	frame := append([]byte{0xFF, 0xFB, 0x90, 0x64}, make([]byte, 413)...)
	mp3 := append(append([]byte{}, frame...), frame...)
	id3 := append([]byte("ID3\x04\x00\x00\x00\x00\x00\x05hello"), mp3...)
	ogg := append([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13"), []byte("OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00")...)
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"a tone", wav, "audio/wav"},
		{"two MP3 frames", mp3, "audio/mpeg"},
		{"an ID3 tag then two frames", id3, "audio/mpeg"},
		{"an Opus stream's first page", ogg, "audio/ogg"},
		{"only RIFF and WAVE", []byte("RIFF....WAVEfmt "), ""},
		{"a WAV without its data", wav[:36], ""},
		{"a WAV whose format is not sound", bytes.Replace(wav, []byte{1, 0, 1, 0}, []byte{0x55, 0x55, 1, 0}, 1), ""},
		{"an ID3 tag alone", []byte("ID3\x04\x00\x00\x00\x00\x00\x00"), ""},
		{"one MPEG frame header", []byte{0xFF, 0xFB, 0x90, 0x64}, ""},
		{"one whole frame and no second", frame, ""},
		{"OpusHead somewhere in a page that is not a stream's first", bytes.Replace(ogg, []byte{0x02}, []byte{0x00}, 1), ""},
		{"a web page", []byte("<html><body>RIFF WAVE OpusHead</body></html>"), ""},
		{"nothing", nil, ""},
	} {
		got, ok := SniffAudio(c.b)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s: SniffAudio = %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
}
