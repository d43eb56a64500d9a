// Command qrscan draws the wizard's QR codes the way a terminal shows
// them — cells twice as tall as wide, light text on a dark background —
// into PNG files, so that a decoder (zbarimg) can prove they scan.
//
//	go run ./scripts/qrscan -out DIR TEXT
//
// It writes one PNG per drawing style: half blocks (UTF-8 terminals),
// colour blocks, reverse-video blocks (LANG=C / NO_COLOR / East Asian
// wide terminals). scripts/qrscan.sh runs zbarimg over them.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"mfpmail/ui"
)

const cellW, cellH = 8, 16

func main() {
	out := flag.String("out", ".", "directory for the PNG files")
	flag.Parse()
	text := flag.Arg(0)
	if text == "" {
		text = "https://microsoft.com/devicelogin"
	}
	styles := map[string]ui.Term{
		"halfblock": {},
		"colour":    {ASCII: true},
		"reverse":   {ASCII: true, NoColor: true},
		"wide":      {Wide: true},
	}
	for name, t := range styles {
		q, ok := ui.QRText(text, t)
		if !ok {
			fmt.Fprintln(os.Stderr, "cannot encode", text)
			os.Exit(1)
		}
		img := draw(q)
		p := filepath.Join(*out, "qr-"+name+".png")
		f, err := os.Create(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		png.Encode(f, img)
		f.Close()
		fmt.Println(p)
	}
}

// draw paints the text as a terminal with a dark background and a light
// foreground would: reverse video or a white background lights the whole
// cell; ▀ ▄ █ light the upper, lower or both halves.
func draw(s string) image.Image {
	lines := strings.Split(s, "\n")
	w := 0
	for _, l := range lines {
		w = max(w, cells(l))
	}
	margin := 4
	img := image.NewGray(image.Rect(0, 0, (w+2*margin)*cellW, (len(lines)+2*margin/2)*cellH))
	for i := range img.Pix {
		img.Pix[i] = 0 // the terminal's dark background
	}
	for y, l := range lines {
		x, lit := 0, false
		rs := []rune(l)
		for i := 0; i < len(rs); i++ {
			r := rs[i]
			if r == 0x1b { // SGR: 7 or 47 light, 27/49/0 dark
				j := i
				for j < len(rs) && rs[j] != 'm' {
					j++
				}
				code := string(rs[i+2 : j])
				switch code {
				case "7", "47":
					lit = true
				case "27", "49", "0", "39":
					lit = false
				}
				i = j
				continue
			}
			top, bottom := lit, lit
			switch r {
			case '█':
				top, bottom = true, true
			case '▀':
				top, bottom = true, false
			case '▄':
				top, bottom = false, true
			case '#':
				top, bottom = true, true
			}
			fill(img, x+margin, y+margin/2, top, bottom)
			x++
		}
	}
	return img
}

func cells(l string) int {
	n, esc := 0, false
	for _, r := range l {
		switch {
		case r == 0x1b:
			esc = true
		case esc:
			esc = r != 'm'
		default:
			n++
		}
	}
	return n
}

func fill(img *image.Gray, cx, cy int, top, bottom bool) {
	for dy := 0; dy < cellH; dy++ {
		on := (dy < cellH/2 && top) || (dy >= cellH/2 && bottom)
		if !on {
			continue
		}
		for dx := 0; dx < cellW; dx++ {
			img.SetGray(cx*cellW+dx, cy*cellH+dy, color.Gray{Y: 255})
		}
	}
}
