package plots

import (
	"sort"
	"strconv"
)

// SortedGroups numbers the distinct labels in sorted order (numerically
// when every label is a number), so that a legend of digits reads 0 … 9:
// ids[i] is the group of labels[i] and names[g] the label of group g.
func SortedGroups(labels []string) (ids []int, names []string) {
	seen := map[string]bool{}
	vals := map[string]float64{}
	numeric := true
	for _, l := range labels {
		if !seen[l] {
			seen[l] = true
			names = append(names, l)
			v, err := strconv.ParseFloat(l, 64)
			numeric = numeric && err == nil
			vals[l] = v
		}
	}
	sort.SliceStable(names, func(a, b int) bool {
		if numeric {
			return vals[names[a]] < vals[names[b]]
		}
		return names[a] < names[b]
	})
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	ids = make([]int, len(labels))
	for i, l := range labels {
		ids[i] = index[l]
	}
	return ids, names
}
