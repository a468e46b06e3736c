import Cartography

/// Two areas of one palette colour meeting across a thin border, on a decoded map.
func sameColourNeighbours(_ raster: MapRaster, fromX: Int) -> Int {
    raster.sameColourBorders(palette: QualitativePalette.light, fromX: fromX)
}
