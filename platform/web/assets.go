package web

import (
	"io/fs"
	"net/http"
	"path"

	"megafon/platform/problem"
)

// Assets serves a module's embedded files (its CSS and scripts) by the last
// element of the request's path, with their content type and an hour's
// caching; anything else is 404. Mount it on the module's own prefix:
// app.Handle("GET /assets/mymodule/{file}", web.Public, web.Assets(files)).
func Assets(files fs.FS) Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		name := path.Base(r.URL.Path)
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return problem.New(problem.NotFound, "error.not_found")
		}
		switch path.Ext(name) {
		case ".css":
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		case ".js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		default:
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, err = w.Write(b)
		return err
	}
}
