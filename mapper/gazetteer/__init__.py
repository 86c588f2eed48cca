"""The offline gazetteer: places and their names (store), how they are built (build, imports,
areas, zones), name normalisation, and the geocoders over it (geocode, geopy_adapter, online).
"""
