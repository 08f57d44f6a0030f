package assessment

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date given to year, month or day precision.
type Date struct {
	Year, Month, Day int // Month and Day are 0 when not given
}

// ParseDate reads YYYY, YYYY-MM or YYYY-MM-DD and refuses days that do not
// exist (2021-02-30).
func ParseDate(s string) (Date, error) {
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return Date{}, fmt.Errorf("date %q: write YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	var d Date
	nums := []*int{&d.Year, &d.Month, &d.Day}
	for i, p := range parts {
		if (i > 0 && len(p) != 2) || digits(p) != len(p) {
			return Date{}, fmt.Errorf("date %q: write YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		*nums[i], _ = strconv.Atoi(p)
	}
	if d.Year == 0 {
		// Year 0 would read as "no date" and silently pass every check.
		return Date{}, fmt.Errorf("date %q: there is no year 0", s)
	}
	if len(parts) > 1 && (d.Month < 1 || d.Month > 12) {
		return Date{}, fmt.Errorf("date %q: there is no month %d", s, d.Month)
	}
	if len(parts) == 3 {
		last := time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d.Day < 1 || d.Day > last {
			return Date{}, fmt.Errorf("date %q does not exist: %04d-%02d has %d days", s, d.Year, d.Month, last)
		}
	}
	return d, nil
}

// IsZero reports whether no date was given.
func (d Date) IsZero() bool { return d.Year == 0 }

func (d Date) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// earliest is the first day the date can mean: a source dated 2021 is not
// after an assessment dated 2021-06-28.
func (d Date) earliest() (int, int, int) {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return d.Year, m, day
}

// After reports whether d certainly falls after o.
func (d Date) After(o Date) bool {
	y1, m1, d1 := d.earliest()
	y2, m2, d2 := o.latest()
	if y1 != y2 {
		return y1 > y2
	}
	if m1 != m2 {
		return m1 > m2
	}
	return d1 > d2
}

func (d Date) latest() (int, int, int) {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 12
	}
	if day == 0 {
		day = time.Date(d.Year, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	}
	return d.Year, m, day
}

// Compare orders dates by their earliest day: -1, 0 or 1.
func (d Date) Compare(o Date) int {
	a := [3]int{}
	b := [3]int{}
	a[0], a[1], a[2] = d.earliest()
	b[0], b[1], b[2] = o.earliest()
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}
