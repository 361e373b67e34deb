package phone

import "strings"

// regions are the countries libphonenumber has a numbering plan for (its
// supported regions, ISO 3166-1 alpha-2 plus AC and TA): what a
// configuration's defaultRegion may name. Kept here, as text, so the admin
// function checks a region without linking the library;
// libphone's tests keep the list equal to the library's.
const regions = "AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS " +
	"BT BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG " +
	"EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT " +
	"HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR " +
	"LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF " +
	"NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD " +
	"SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL TM TN TO TR TT TV TW " +
	"TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"

// Regions lists the regions a configuration's defaultRegion may name.
func Regions() []string { return strings.Fields(regions) }

// KnownRegion reports whether r (upper case) is one of Regions.
func KnownRegion(r string) bool {
	if len(r) != 2 {
		return false
	}
	i := strings.Index(regions, r)
	return i >= 0 && i%3 == 0
}
