package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"

	"megafon/platform/problem"
)

// ServeAssets serves a module's embedded files (its CSS and scripts) under
// prefix ("/assets/campaign/"), by the last element of the path. Pages
// link them with the template function asset ({{asset
// "/assets/campaign/campaign.css"}}), which adds a version made from the
// file's content: such a link is cached for a year, since a changed file
// gets a new link; a link without it (an old page) for five minutes.
func (a *App) ServeAssets(prefix string, files fs.FS) {
	if a.assets == nil {
		a.assets = map[string]*assetDir{}
	}
	dir := &assetDir{files: files}
	a.assets[prefix] = dir
	a.Handle("GET "+prefix+"{file}", Public, dir.serve, Cacheable())
}

type assetDir struct {
	files    fs.FS
	versions sync.Map // name -> version
}

// version is the first 12 hex digits of the file's SHA-256, or "" when
// there is no such file.
func (d *assetDir) version(name string) string {
	if v, ok := d.versions.Load(name); ok {
		return v.(string)
	}
	b, err := fs.ReadFile(d.files, name)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	v := hex.EncodeToString(sum[:6])
	d.versions.Store(name, v)
	return v
}

func (d *assetDir) serve(w http.ResponseWriter, r *http.Request) error {
	name := path.Base(r.URL.Path)
	b, err := fs.ReadFile(d.files, name)
	if err != nil || strings.HasPrefix(name, ".") {
		return problem.New(problem.NotFound, "error.not_found")
	}
	switch path.Ext(name) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	default:
		w.Header().Set("Content-Type", http.DetectContentType(b))
	}
	switch v := r.URL.Query().Get("v"); {
	case v != "" && v == d.version(name):
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	case v != "":
		// A page older than the file asks for a version that is gone:
		// serve the new file, but do not let it be kept under that link.
		w.Header().Set("Cache-Control", "no-cache")
	default:
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	_, err = w.Write(b)
	return err
}

// AssetURL is the versioned link of an asset served by ServeAssets, or
// the path as it is when no module serves it (the template function asset).
func (a *App) AssetURL(p string) string {
	dir, name := path.Split(p)
	if d := a.assets[dir]; d != nil {
		if v := d.version(name); v != "" {
			return p + "?v=" + v
		}
	}
	return p
}
