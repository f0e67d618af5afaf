"""Maps: boundary files, folium choropleths drawn offline, and the indicators a map can colour by."""
