import SinkFile
