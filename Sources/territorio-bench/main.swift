import GIS
import Foundation
let t0 = Date()
let layer = try ShapefileReader.read("../shared/data/dpa/parroquias.shp")
print(layer.features.count, layer.fields.map { "\($0.name):\($0.type)" }, layer.notes, Date().timeIntervalSince(t0))
let i = layer.fieldIndex("DPA_DESPRO")!
print(Set(layer.features.map { $0.attributes[i].description }).sorted().joined(separator: ","))
let p = layer.fieldIndex("POB_2022")!
print(layer.features.reduce(Int64(0)) { if case .integer(let v) = $1.attributes[p] { return $0 + v }; return $0 })
let ctx = try ProjContext()
print(try ctx.describe(layer.crs!))
let t = try ctx.transform(from: .wgs84, to: .utm17S)
print(try t.apply(Coordinate(-78.5, -0.2)))
let m = try GeodesicMeasure(crs: layer.crs!, context: ctx)
var area = 0.0
for f in layer.features { area += try m.area(f.geometry!) }
print("area km2", area / 1e6)
let g = GeometryContext()
var planar = 0.0
for f in layer.features { planar += try g.geometry(f.geometry!).area() }
print("planar km2", planar/1e6, Date().timeIntervalSince(t0))
