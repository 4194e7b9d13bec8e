package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

// gzipWriter compresses an answer on its way out.
type gzipWriter struct {
	gin.ResponseWriter
	gz *gzip.Writer
	// raw: the handler writes bytes that are already gzipped (a cached
	// page), so they pass through untouched.
	raw bool
	// tagged: the ETag has been given its gzip form.
	tagged bool
}

// GzipETag is the validator of the gzip coding of the answer whose
// identity validator is etag: each coding has its own (RFC 9110 §8.8.3).
func GzipETag(etag string) string {
	if strings.HasPrefix(etag, `"`) && strings.HasSuffix(etag, `"`) && len(etag) > 1 && !strings.HasSuffix(etag, `-gz"`) {
		return etag[:len(etag)-1] + `-gz"`
	}
	return etag
}

// retag gives the answer's ETag its gzip form, once, before the headers
// go out.
func (w *gzipWriter) retag() {
	if w.tagged {
		return
	}
	w.tagged = true
	h := w.ResponseWriter.Header()
	if e := h.Get("ETag"); e != "" {
		h.Set("ETag", GzipETag(e))
	}
}

// Write compresses b. A handler may have set Content-Length for the
// uncompressed body; it is dropped before the headers go out.
func (w *gzipWriter) Write(b []byte) (int, error) {
	w.retag()
	if w.raw {
		return w.ResponseWriter.Write(b)
	}
	w.ResponseWriter.Header().Del("Content-Length")
	return w.gz.Write(b)
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

func (w *gzipWriter) WriteHeader(code int) {
	w.retag()
	w.ResponseWriter.Header().Del("Content-Length")
	w.ResponseWriter.WriteHeader(code)
}

// Compress gzips JSON and HTML answers when the client accepts it. Handlers
// that stream a download compress by themselves (portal/download) and set
// Content-Encoding first; those are left alone, as are 304s and HEADs.
// Every answer that can be compressed says Vary: Accept-Encoding, gzipped
// or not, so that no cache hands gzip to a client that did not ask; a
// gzipped answer's ETag is its own (GzipETag).
func Compress() gin.HandlerFunc {
	return func(c *gin.Context) {
		p := c.Request.URL.Path
		if strings.HasPrefix(p, "/static/") || downloadPath(p) {
			c.Next()
			return
		}
		c.Header("Vary", VaryEncoding(p))
		if c.Request.Method == http.MethodHead || !AcceptsGzip(c) {
			c.Next()
			return
		}
		gz := gzipPool.Get().(*gzip.Writer)
		gz.Reset(c.Writer)
		c.Header("Content-Encoding", "gzip")
		orig := c.Writer
		gw := &gzipWriter{ResponseWriter: orig, gz: gz}
		c.Writer = gw
		defer func() {
			c.Writer = orig
			if gw.raw {
				gz.Reset(nil)
			} else if c.Writer.Status() == http.StatusNotModified || c.Writer.Status() == http.StatusNoContent || !c.Writer.Written() {
				c.Writer.Header().Del("Content-Encoding")
				gz.Reset(nil)
			} else {
				gz.Close()
			}
			c.Writer.Header().Del("Content-Length")
			gzipPool.Put(gz)
		}()
		c.Next()
	}
}

// AcceptsGzip says whether the client takes gzip.
func AcceptsGzip(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept-Encoding"), "gzip")
}

// downloadPath reports whether p is a dataset download.
func downloadPath(p string) bool {
	if !strings.HasPrefix(p, "/dataset/") || strings.Count(p, "/") != 2 {
		return false
	}
	i := strings.LastIndexByte(p, '.')
	switch p[i+1:] {
	case "csv", "json", "xlsx", "parquet":
		return true
	}
	return false
}

// CompressibleDownload says whether a download format is gzipped for a
// client that takes it: text is; XLSX and Parquet are compressed already.
func CompressibleDownload(format string) bool { return format == "csv" || format == "json" }

// gzipBytes compresses b once, for answers served many times.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}
